import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SettingsTabs } from "./tabs";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>How Throughline reads your organisation: teams, ownership, environments and time.</p>
        </div>
      </div>
      <SettingsTabs />
      {children}
    </>
  );
}
