import fs from "node:fs";

// Next.js reads .env by itself; the scripts run outside Next.js, so they load
// it here first. Variables already set in the shell win.
if (fs.existsSync(".env")) process.loadEnvFile(".env");
