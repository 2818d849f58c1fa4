import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Page } from "@playwright/test";

// Ends this browser's session as 30 minutes without activity would: the
// portal's database (the SQLite file beside the outbox) says it expired a
// minute ago. Only this session: other tests run alongside.
export async function expireSession(page: Page) {
  const dataDir = path.dirname(process.env.OUTBOX_DIR ?? "../data/outbox");
  const db = path.join(dataDir, "servizi-lavoro.db");
  const id = (await page.context().cookies()).find((c) => c.name.endsWith("sl_session"))?.value;
  if (!id) throw new Error("no session cookie");
  const sql = "UPDATE sessions SET expires_at = datetime('now', '-1 minute') WHERE id = ?";
  const script = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], timeout=10)\nn = c.execute(sys.argv[2], (sys.argv[3],)).rowcount\nc.commit()\nsys.exit(0 if n == 1 else 1)";
  execFileSync("python3", ["-c", script, db, sql, id]);
}
