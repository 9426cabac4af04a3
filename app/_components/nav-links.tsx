"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Overview", match: (p: string) => p === "/" || p.startsWith("/teams") },
  { href: "/deployments", label: "Deployments", match: (p: string) => p.startsWith("/deployments") },
  { href: "/reports", label: "Reports", match: (p: string) => p.startsWith("/reports") },
  { href: "/calms", label: "CALMS", match: (p: string) => p.startsWith("/calms") },
  { href: "/settings", label: "Settings", match: (p: string) => p.startsWith("/settings"), admin: true },
];

/** Settings is for admins (the pages check it too); signed out, there is nothing to navigate to. */
export function NavLinks({ role }: { role: "viewer" | "admin" | null }) {
  const pathname = usePathname() ?? "/";
  if (!role) return null;
  return (
    <nav className="nav" aria-label="Main">
      {LINKS.filter((l) => !("admin" in l) || role === "admin").map((l) => (
        <Link key={l.href} href={l.href} aria-current={l.match(pathname) ? "page" : undefined}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
