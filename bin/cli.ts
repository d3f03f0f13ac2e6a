// The zhijian command line: one program, sub-commands registered by the module that owns them.
import { Command, CommanderError } from 'commander';
import { registerGenerate } from '../ingest/generate/command.ts';
import { registerIngest } from '../ingest/load/command.ts';
import { registerServe } from '../web/lib/server/commands/serve.ts';
import { registerSql } from '../web/lib/server/commands/sql.ts';
import { registerDemo } from '../web/lib/server/commands/demo.ts';
import { registerTranscribe } from '../ingest/transcribe/command.ts';
import { registerQa } from '../web/lib/server/commands/qa.ts';
import { registerComplaints } from '../web/lib/server/commands/complaints.ts';
import { registerUser } from '../web/lib/server/commands/user.ts';
import { UserError } from '../web/lib/server/errors.ts';
import pkg from '../package.json' with { type: 'json' };

export function buildProgram(): Command {
  const program = new Command('zhijian')
    .description('Self-hosted QA and analytics for customer-service call centers (质检)')
    .version(pkg.version)
    .option('--db <path>', 'warehouse file (default: $ZHIJIAN_DB, else data/zhijian.duckdb)')
    .showHelpAfterError()
    .exitOverride();
  registerGenerate(program);
  registerIngest(program);
  registerTranscribe(program);
  registerQa(program);
  registerComplaints(program);
  registerSql(program);
  registerServe(program);
  registerDemo(program);
  registerUser(program);
  return program;
}

/** Runs the CLI; returns the exit code. Errors print one clear line. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    // A command that finished but failed in part (e.g. one file of an ingest) sets process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const message = err instanceof UserError ? err.message : (err as Error).message ?? String(err);
    process.stderr.write(`zhijian: ${message}\n`);
    if (process.env.ZHIJIAN_DEBUG) console.error(err);
    return err instanceof UserError ? err.exitCode : 1;
  }
}
