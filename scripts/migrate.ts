import "./load-dotenv";
import { database } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";

const handle = database();
await migrateDatabase(handle);
console.log(`Migrations applied (${handle.engine}).`);
await handle.close();
