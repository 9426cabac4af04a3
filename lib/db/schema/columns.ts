import { timestamp } from "drizzle-orm/pg-core";

/** Every instant is stored as UTC `timestamptz`; local days exist only at query time (org time zone). */
export const timestamptz = () => timestamp({ withTimezone: true, mode: "date" });

export const rowTimestamps = {
  createdAt: timestamptz().notNull().defaultNow(),
  updatedAt: timestamptz()
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};
