// GET|POST /api/auth/*: Auth.js sign-in, callback and sign-out handlers.
import { handlers } from "@/lib/auth/config";

export const { GET, POST } = handlers;
