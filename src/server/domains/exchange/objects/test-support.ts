import { expect } from "vitest";
import { api, type Session, type TestEnv } from "../../../test/harness.js";

/** Driving an import through the API in tests of the import objects: upload, options, run, issues, undo. */

export interface Imp {
  id: string;
  status: string;
  version: number;
  headers: string[];
  mapping: (string | null)[];
  options: { keys: string[]; ownerId: string | null };
  counts: { total: number; created: number; updated: number; skipped: number; failed: number } | null;
  checkCounts: { total: number; created: number; updated: number; skipped: number; failed: number } | null;
  jobId: string | null;
}

export function importDriver(t: TestEnv, objectType: string) {
  const upload = (session: Session, csv: string, lang = "en-US") =>
    api(t.app, session, lang).post(`/api/v1/imports?objectType=${objectType}&fileName=${objectType}.csv`, Buffer.from(csv, "utf8"), { "content-type": "application/octet-stream" });

  const settle = async (session: Session, id: string, until: string[]): Promise<Imp> => {
    for (let i = 0; i < 300; i++) {
      const imp = (await api(t.app, session).get(`/api/v1/imports/${id}`)).json<Imp>();
      if (until.includes(imp.status)) return imp;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`import ${id} did not reach ${until.join("/")}`);
  };

  /** Uploads a CSV, applies the options, runs it (or its dry run) and waits for the end. */
  const run = async (session: Session, csv: string, options?: Record<string, unknown>, mode: "run" | "check" = "run"): Promise<Imp> => {
    const res = await upload(session, csv);
    expect(res.statusCode, res.body).toBe(201);
    const imp = res.json<Imp>();
    if (options) {
      const patched = await api(t.app, session).patch(`/api/v1/imports/${imp.id}`, { version: imp.version, options });
      expect(patched.statusCode, patched.body).toBe(200);
    }
    const started = await api(t.app, session).post(`/api/v1/imports/${imp.id}/${mode}`);
    expect(started.statusCode, started.body).toBe(202);
    return settle(session, imp.id, mode === "run" ? ["completed", "failed"] : ["checked", "failed"]);
  };

  /** Problem rows as [row, [[column, message]…]] in the language asked. */
  const issues = async (session: Session, id: string, lang = "zh-CN") =>
    (await api(t.app, session, lang).get(`/api/v1/imports/${id}/issues`))
      .json<{ items: { source: number; issues: { column: string | null; message: string }[] }[] }>()
      .items.map((r) => [r.source, r.issues.map((i) => [i.column, i.message])] as const);

  /** Undoes an import and waits for the job's result (removed / restored / kept). */
  const undo = async (session: Session, id: string): Promise<Record<string, number>> => {
    const res = await api(t.app, session).post(`/api/v1/imports/${id}/undo`);
    expect(res.statusCode, res.body).toBe(202);
    const undone = await settle(session, id, ["undone", "failed"]);
    expect(undone.status).toBe("undone");
    // The import says "undone" in the job's last transaction; the job records its result just after.
    let job = { state: "", result: {} as Record<string, number> };
    for (let i = 0; i < 100 && job.state !== "completed"; i++) {
      job = (await api(t.app, session).get(`/api/v1/jobs/${undone.jobId}`)).json<typeof job>();
      if (job.state !== "completed") await new Promise((r) => setTimeout(r, 50));
    }
    return job.result;
  };

  return { upload, settle, run, issues, undo };
}
