import { build } from "./lib/build";

/** npm run build: `next build`, stamped so that `npm start` and the browser tests know it is fresh. */
process.exit(build());
