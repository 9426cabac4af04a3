import { requireRole } from "@/lib/auth/current";
import { getDb } from "@/lib/db";
import { getOrgSettings } from "@/lib/settings/org";
import { OrgForm } from "./_forms/org-form";

export default async function OrgSettingsPage() {
  await requireRole("admin");
  const settings = await getOrgSettings(await getDb());
  const zones = Intl.supportedValuesOf("timeZone");
  return (
    <section className="card card-pad">
      <OrgForm
        name={settings.name}
        timeZone={settings.timeZone}
        weekStart={settings.weekStart}
        windowHours={settings.incidentLinkWindowHours}
        rollbackWindowHours={settings.rollbackWindowHours}
        revertWindowHours={settings.revertWindowHours}
        zones={zones}
      />
    </section>
  );
}
