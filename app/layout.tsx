import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { type ReactNode, Suspense } from "react";
import { currentUser } from "@/lib/auth/current";
import { BrandMark } from "./_components/brand";
import { NavLinks } from "./_components/nav-links";
import { NavProgress } from "./_components/nav-progress";
import { UserMenu } from "./_components/user-menu";
import { orgSettings } from "./_data";
import "./globals.css";

// Every page reads the database at request time; nothing is prerendered at build.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Throughline", template: "%s · Throughline" },
  description: "DORA metrics and CALMS self-assessment for engineering teams.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const settings = await orgSettings();
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        {/* Around the bar only, never around the page: a boundary around children would stream 200 before the
            page checks the caller (ADR 10 addendum). The bar reads the URL's query, which needs one. */}
        <Suspense fallback={null}>
          <NavProgress />
        </Suspense>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <div className="topbar-inner">
            <Link href="/" className="brand" aria-label="Throughline home">
              <BrandMark className="brand-mark" />
              <span className="brand-name">Throughline</span>
              <span className="brand-org">{settings.name}</span>
            </Link>
            <NavLinks role={user?.role ?? null} />
            <UserMenu user={user} />
          </div>
        </header>
        {settings.demoState === "loaded" && user ? (
          <div className="banner" role="status">
            <div className="banner-inner">
              <strong>Demo data.</strong>
              <span>A generated organisation, so that every screen has something to show.</span>
              {user.role === "admin" ? (
                <Link href="/settings/data" className="btn btn-small">
                  Remove demo data
                </Link>
              ) : null}
            </div>
          </div>
        ) : null}
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
