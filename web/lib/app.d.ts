import type { Locale } from '$lib/i18n/locales.ts';
import type { User } from '$lib/server/auth/users.ts';

declare global {
  namespace App {
    interface Locals {
      locale: Locale;
      /** The signed-in user (hooks.server.ts), null when signed out. */
      user: User | null;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
