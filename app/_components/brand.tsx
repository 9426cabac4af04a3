/** The Throughline mark: a line passing through a sequence of stages. */
export function BrandMark({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path
        d="M5 21c5 0 6-10 11-10s6 10 11 10"
        fill="none"
        stroke="#fff"
        strokeWidth="2.6"
        strokeLinecap="round"
      />
      <circle cx="16" cy="11" r="2.6" fill="#fff" />
    </svg>
  );
}
