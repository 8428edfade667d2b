// A realistic, deterministic SQL schema of a requested size for the benchmarks: roles,
// schemas, tables with constraints, RLS (mostly enabled, forced and with policies), grants,
// views, PL/pgSQL functions (security definer with search_path, triggers, a few with
// dynamic SQL), and a sprinkling of the insecure patterns the rules look for. Plain SQL,
// no psql meta-commands, so libpg-query can parse the whole file at once as a baseline.
//
// Every table's `DEFAULT <digit>` and every function's `:= <digit>` is an edit site: the
// benchmark replaces that one digit, an edit that keeps every other offset in place.

export interface GeneratedSql {
  text: string;
  lines: number;
  /** UTF-16 offsets of single digits that an edit may replace. */
  editSites: number[];
}

export function generateSql(targetLines: number): GeneratedSql {
  const out: string[] = [];
  const editSites: number[] = [];
  let length = 0;
  let lines = 0;
  const push = (s: string) => {
    // Edit sites are marked with a `§` before the digit; the mark is removed here.
    let text = '';
    let from = 0;
    for (let i = s.indexOf('§'); i >= 0; i = s.indexOf('§', from)) {
      text += s.slice(from, i);
      editSites.push(length + text.length);
      from = i + 1;
    }
    text += s.slice(from);
    out.push(text);
    length += text.length;
    lines += text.split('\n').length - 1;
  };

  push('-- Generated schema for pgwarden benchmarks.\nCREATE SCHEMA IF NOT EXISTS app;\nCREATE ROLE app_owner NOLOGIN;\n\n');
  for (let k = 0; lines < targetLines; k++) {
    const t = `app.orders_${k}`;
    const insecure = k % 7 === 3;
    push(
      `-- Module ${k}: orders and their totals.\n` +
        `CREATE ROLE app_reader_${k} NOLOGIN;\n` +
        `CREATE ROLE app_writer_${k} LOGIN PASSWORD NULL IN ROLE app_reader_${k};\n` +
        `CREATE TABLE app.customers_${k} (\n` +
        `    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n` +
        `    name text NOT NULL,\n` +
        `    email text UNIQUE\n` +
        `);\n` +
        `ALTER TABLE app.customers_${k} ENABLE ROW LEVEL SECURITY;\n` +
        `ALTER TABLE app.customers_${k} FORCE ROW LEVEL SECURITY;\n` +
        `CREATE POLICY customers_${k}_self ON app.customers_${k}\n` +
        `    USING (id = current_setting('app.customer_id')::bigint);\n` +
        `CREATE TABLE ${t} (\n` +
        `    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n` +
        `    customer_id bigint NOT NULL REFERENCES app.customers_${k} (id),\n` +
        `    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped')),\n` +
        `    total numeric(12, 2) NOT NULL DEFAULT §${k % 10},\n` +
        `    created_at timestamptz NOT NULL DEFAULT now()\n` +
        `);\n` +
        `CREATE INDEX orders_${k}_customer_idx ON ${t} (customer_id);\n` +
        `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;\n` +
        (insecure ? '' : `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;\n`) +
        `CREATE POLICY orders_${k}_owner ON ${t}\n` +
        `    USING (customer_id = current_setting('app.customer_id')::bigint)\n` +
        `    WITH CHECK (customer_id = current_setting('app.customer_id')::bigint);\n` +
        `GRANT SELECT, INSERT, UPDATE ON ${t} TO app_writer_${k};\n` +
        `GRANT SELECT ON ${t} TO app_reader_${k};\n` +
        (insecure ? `GRANT SELECT ON ${t} TO PUBLIC;\nGRANT ALL ON app.customers_${k} TO app_writer_${k} WITH GRANT OPTION;\n` : '') +
        `CREATE VIEW app.order_summary_${k} WITH (security_invoker = true) AS\n` +
        `    SELECT o.customer_id, count(*) AS orders, sum(o.total) AS total\n` +
        `    FROM ${t} o\n` +
        `    GROUP BY o.customer_id;\n` +
        `CREATE OR REPLACE FUNCTION app.order_total_${k}(p_order bigint)\n` +
        `RETURNS numeric\n` +
        `LANGUAGE plpgsql\n` +
        `STABLE\n` +
        `SECURITY DEFINER\n` +
        `SET search_path = pg_catalog, pg_temp\n` +
        `AS $$\n` +
        `DECLARE\n` +
        `    v_total numeric := §${(k + 5) % 10};\n` +
        `BEGIN\n` +
        `    SELECT o.total INTO v_total FROM ${t} o WHERE o.id = p_order;\n` +
        `    IF v_total IS NULL THEN\n` +
        `        RAISE EXCEPTION 'order % not found', p_order;\n` +
        `    END IF;\n` +
        `    RETURN v_total;\n` +
        `END;\n` +
        `$$;\n` +
        `REVOKE EXECUTE ON FUNCTION app.order_total_${k}(bigint) FROM PUBLIC;\n` +
        `GRANT EXECUTE ON FUNCTION app.order_total_${k}(bigint) TO app_reader_${k};\n` +
        `CREATE FUNCTION app.touch_${k}() RETURNS trigger LANGUAGE plpgsql AS $$\n` +
        `BEGIN\n` +
        `    NEW.created_at := now();\n` +
        `    RETURN NEW;\n` +
        `END;\n` +
        `$$;\n` +
        `CREATE TRIGGER orders_${k}_touch BEFORE INSERT ON ${t} FOR EACH ROW EXECUTE FUNCTION app.touch_${k}();\n` +
        (insecure
          ? `CREATE FUNCTION app.purge_${k}(p_table text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$\n` +
            `BEGIN\n` +
            `    EXECUTE 'DELETE FROM ' || p_table;\n` +
            `END;\n` +
            `$$;\n` +
            `CREATE TABLE app.audit_${k} (id bigint, note text);\n`
          : '') +
        '\n',
    );
  }
  return { text: out.join(''), lines, editSites };
}

// `node --require tsx/cjs test/bench/generate.ts LINES FILE` writes a file for the
// process-level benchmarks (CLI, language server, peers).
if (require.main === module) {
  const [lines, file] = process.argv.slice(2);
  const g = generateSql(Number(lines));
  require('node:fs').writeFileSync(file, g.text);
  process.stdout.write(JSON.stringify({ file, lines: g.lines, bytes: g.text.length, editSites: g.editSites }) + '\n');
}
