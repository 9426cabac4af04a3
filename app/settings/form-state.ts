/** What a settings server action answers a form: field errors to show at the field, or a message. */
export interface FormState {
  ok?: boolean;
  message?: string;
  errors?: Record<string, string[] | undefined>;
}

export const EMPTY: FormState = {};
