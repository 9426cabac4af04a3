"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/settings", label: "Organisation" },
  { href: "/settings/teams", label: "Teams" },
  { href: "/settings/repositories", label: "Repositories" },
  { href: "/settings/environments", label: "Environments" },
  { href: "/settings/sources", label: "Sources" },
  { href: "/settings/api-tokens", label: "API tokens" },
  { href: "/settings/survey", label: "Survey" },
  { href: "/settings/reports", label: "Reports" },
  { href: "/settings/data", label: "Data" },
  { href: "/settings/audit", label: "Audit log" },
];

export function SettingsTabs() {
  const path = usePathname() ?? "";
  return (
    <nav className="tabs" aria-label="Settings">
      {TABS.map((t) => {
        const active = t.href === "/settings" ? path === "/settings" : path.startsWith(t.href);
        return (
          <Link key={t.href} href={t.href} aria-current={active ? "page" : undefined}>
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
