import type { FormState } from "../form-state";

/** A survey admin form's state: FormState, plus links shown once (the database keeps only their hashes). */
export interface SurveyAdminState extends FormState {
  links?: { team: string; url: string }[];
  roundId?: number;
  /** The submitted values, so a form with errors keeps what was typed and ticked. */
  values?: Record<string, string[]>;
}

export const EMPTY_ADMIN: SurveyAdminState = {};
