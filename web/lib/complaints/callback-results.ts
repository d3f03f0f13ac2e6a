// What a complaint callback (回访) can find, for the server's check and the complaint page's form.
export const CALLBACK_RESULTS = ['satisfied', 'unsatisfied', 'unreachable'] as const;
export type CallbackResult = (typeof CALLBACK_RESULTS)[number];
