// svelte-i18n with the messages bundled (no async loading), so the server render and the
// browser's first render use the same strings. The root layout sets the locale synchronously
// while it renders, which keeps concurrent server renders in different languages apart.
import { addMessages, init, locale } from 'svelte-i18n';
import zhCN from './zh-CN.json';
import en from './en.json';
import { DEFAULT_LOCALE, type Locale } from './locales.ts';

addMessages('zh-CN', zhCN);
addMessages('en', en);

let initialised = false;

export function useLocale(l: Locale): void {
  if (!initialised) {
    init({ fallbackLocale: DEFAULT_LOCALE, initialLocale: l });
    initialised = true;
  } else {
    locale.set(l);
  }
}

export { _, locale } from 'svelte-i18n';
export * from './locales.ts';
