/** What the survey's server action answers the form (values come back so nothing is lost on an error). */
export interface SurveyState {
  status?: "recorded" | "duplicate" | "invalid" | "closed" | "scheduled" | "unknown_link";
  errors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
  comment?: string;
}

export const INITIAL: SurveyState = {};

/** Form field of a statement: `item-C1`. */
export const fieldName = (key: string) => `item-${key}`;
