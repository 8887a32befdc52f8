import "./load-dotenv";
import { runApp } from "./run-app";

await runApp("start");
