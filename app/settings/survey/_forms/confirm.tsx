import type { ReactNode } from "react";

/**
 * A real confirmation step that needs no JavaScript: the first button only opens a <details>, whose content holds
 * the explanation and the submit button that acts (issue 15 §7: "New link" and "Close round now" acted on one click).
 * Goes inside the <form>; clicking the first button again closes it without acting.
 */
export function ConfirmSubmit(props: {
  label: string;
  confirm: string;
  children: ReactNode;
  danger?: boolean;
  disabled?: boolean;
  ariaLabel?: string;
}) {
  return (
    <details className="confirm">
      <summary
        className={`btn btn-small confirm-toggle${props.danger ? " btn-danger" : ""}`}
        aria-label={props.ariaLabel}
      >
        {props.label}
      </summary>
      <div className="confirm-body">
        <p className="small" style={{ margin: "6px 0" }}>
          {props.children}
        </p>
        <button
          className={`btn btn-small${props.danger ? " btn-danger" : " btn-primary"}`}
          type="submit"
          disabled={props.disabled}
        >
          {props.confirm}
        </button>
      </div>
    </details>
  );
}
