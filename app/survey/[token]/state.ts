/** What the survey's server action answers the form (values come back so nothing is lost on an error). */
export interface SurveyState {
  status?: "recorded" | "duplicate" | "used" | "invalid" | "closed" | "scheduled" | "unknown_link";
  errors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
  comment?: string;
}

export const INITIAL: SurveyState = {};

/** Form field of a statement: `item-C1`. */
export const fieldName = (key: string) => `item-${key}`;

/** A single-use link that has answered (ADR 0014); the page says the same when the link is opened again. */
export const USED_LINK =
  "This link has been used: it was personal and accepts one set of answers. If you did not answer, ask whoever sent it for a new link.";
