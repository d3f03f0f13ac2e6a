// The account operations of `zhijian user`, as data: the CLI runs them on the warehouse file, or
// hands them to the running server (POST /api/internal/users), which runs this same function.
import { z } from 'zod';
import type { Warehouse } from '../warehouse.ts';
import { addUser, listUsers, newUserSchema, setPassword, updateUser, userPatchSchema } from './users.ts';

/** The actor is the operating-system user at the command line, e.g. cli:root. */
const actor = z.string().min(1).max(100);

export const userCommandSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), actor, user: newUserSchema, password: z.string().min(1).max(256) }),
  z.strictObject({ op: z.literal('password'), actor, username: z.string().min(1), password: z.string().min(1).max(256), must_change: z.boolean().default(false) }),
  z.strictObject({ op: z.literal('update'), actor, username: z.string().min(1), patch: userPatchSchema }),
  z.strictObject({ op: z.literal('list') })
]);
export type UserCommand = z.input<typeof userCommandSchema>;

export async function runUserCommand(warehouse: Warehouse, input: UserCommand): Promise<{ message: string; users?: Awaited<ReturnType<typeof listUsers>> }> {
  const command = userCommandSchema.parse(input);
  switch (command.op) {
    case 'add': {
      const user = await addUser(warehouse, command.user, command.password, command.actor);
      return { message: `added ${user.username} (${user.role})` };
    }
    case 'password':
      await setPassword(warehouse, command.username, command.password, command.actor, { mustChange: command.must_change });
      return { message: `password of ${command.username} set; their sessions ended` };
    case 'update': {
      const user = await updateUser(warehouse, command.username, command.patch, command.actor);
      return { message: `updated ${user.username}: ${user.role}${user.disabled ? ', disabled' : ''}` };
    }
    case 'list':
      return { message: '', users: await listUsers(warehouse) };
  }
}
