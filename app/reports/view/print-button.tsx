"use client";

/** Opens the browser's print dialog (the print stylesheet lays the report out on A4 or Letter pages). */
export function PrintButton() {
  return (
    <button type="button" className="btn" onClick={() => window.print()}>
      Print
    </button>
  );
}
