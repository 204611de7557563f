// The workload from the issue, written out once per size for every tool: a straight chain of N
// raw-SQL revisions, each creating one table and one index, and dropping the table on the way down.
import fs from 'node:fs';
import path from 'node:path';

export const LIMIT_VERSION_TABLE = 'bench_version';

/** The 12-hex-digit revision id of revision i (1-based): 000000000001, … */
export function revisionId(i) {
  return i.toString(16).padStart(12, '0');
}

export function upgradeStatements(i) {
  return [
    `CREATE TABLE t_${i} (id integer primary key, v varchar(50))`,
    `CREATE INDEX ix_t_${i} ON t_${i}(v)`,
  ];
}

export function downgradeStatements(i) {
  return [`DROP TABLE t_${i}`];
}

/**
 * Write every tool's project for a chain of `size` revisions under `folder` (replacing it).
 * @returns {{ folder: string, ours: string, alembic: string, knex: string, limit: Record<string, string> }}
 */
export function writeWorkload(folder, size) {
  fs.rmSync(folder, { recursive: true, force: true });
  const layout = {
    folder,
    ours: path.join(folder, 'ours', 'versions'),
    alembic: path.join(folder, 'alembic'),
    knex: path.join(folder, 'knex'),
    limit: {
      upgradePerRevision: path.join(folder, 'limit', 'upgrade-per-revision.sql'),
      upgradeSingle: path.join(folder, 'limit', 'upgrade-single.sql'),
      downgradePerRevision: path.join(folder, 'limit', 'downgrade-per-revision.sql'),
      downgradeSingle: path.join(folder, 'limit', 'downgrade-single.sql'),
    },
  };
  writeOurs(layout.ours, size);
  writeAlembic(layout.alembic, size);
  writeKnex(layout.knex, size);
  writeLimit(layout.limit, size);
  return layout;
}

function writeOurs(folder, size) {
  fs.mkdirSync(folder, { recursive: true });
  for (let i = 1; i <= size; i += 1) {
    const id = revisionId(i);
    const text = [
      `-- create t_${i}`,
      '--',
      `-- Revision ID: ${id}`,
      `-- Revises: ${i === 1 ? '' : revisionId(i - 1)}`,
      '-- Create Date: 2024-01-01 00:00:00',
      '',
      '-- migrate:upgrade',
      ...upgradeStatements(i).map((sql) => `${sql};`),
      '',
      '-- migrate:downgrade',
      ...downgradeStatements(i).map((sql) => `${sql};`),
      '',
    ].join('\n');
    const file = `2024_01_01_${String(i).padStart(4, '0')}-${id}_create_t_${i}.sql`;
    fs.writeFileSync(path.join(folder, file), text);
  }
}

const ALEMBIC_INI = `[alembic]
script_location = %(here)s

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
`;

// Alembic's generic env.py, with the URL and the transaction structure taken from -x arguments:
// alembic -c alembic.ini -x url=… [-x tx=per-revision] upgrade head
const ALEMBIC_ENV = `from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

x = context.get_x_argument(as_dictionary=True)
url = x.get("url") or config.get_main_option("sqlalchemy.url")
per_revision = x.get("tx") == "per-revision"


def run_migrations_offline():
    context.configure(url=url, literal_binds=True, transaction_per_migration=per_revision)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = create_engine(url, poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=None,
            transaction_per_migration=per_revision,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`;

function writeAlembic(folder, size) {
  const versions = path.join(folder, 'versions');
  fs.mkdirSync(versions, { recursive: true });
  fs.writeFileSync(path.join(folder, 'alembic.ini'), ALEMBIC_INI);
  fs.writeFileSync(path.join(folder, 'env.py'), ALEMBIC_ENV);
  for (let i = 1; i <= size; i += 1) {
    const id = revisionId(i);
    const parent = i === 1 ? 'None' : `'${revisionId(i - 1)}'`;
    const text = [
      `"""create t_${i}`,
      '',
      `Revision ID: ${id}`,
      `Revises: ${i === 1 ? '' : revisionId(i - 1)}`,
      'Create Date: 2024-01-01 00:00:00',
      '',
      '"""',
      'from alembic import op',
      '',
      `revision = '${id}'`,
      `down_revision = ${parent}`,
      'branch_labels = None',
      'depends_on = None',
      '',
      '',
      'def upgrade():',
      ...upgradeStatements(i).map((sql) => `    op.execute("${sql}")`),
      '',
      '',
      'def downgrade():',
      ...downgradeStatements(i).map((sql) => `    op.execute("${sql}")`),
      '',
    ].join('\n');
    fs.writeFileSync(path.join(versions, `${id}_create_t_${i}.py`), text);
  }
}

function writeKnex(folder, size) {
  const migrations = path.join(folder, 'migrations');
  fs.mkdirSync(migrations, { recursive: true });
  for (const [dialect, client] of Object.entries(KNEX_CLIENTS)) {
    const knexfile = [
      `// knexfile for ${dialect}; the connection comes from BENCH_KNEX_CONNECTION (JSON).`,
      'module.exports = {',
      `  client: '${client}',`,
      '  connection: JSON.parse(process.env.BENCH_KNEX_CONNECTION),',
      dialect === 'sqlite' ? '  useNullAsDefault: true,' : null,
      "  migrations: { directory: __dirname + '/migrations', loadExtensions: ['.cjs'] },",
      '};',
      '',
    ]
      .filter((line) => line !== null)
      .join('\n');
    fs.writeFileSync(path.join(folder, `knexfile.${dialect}.cjs`), knexfile);
  }
  for (let i = 1; i <= size; i += 1) {
    const raw = (statements) => statements.map((sql) => `  await knex.raw('${sql}');`);
    const text = [
      `// create t_${i}`,
      'exports.up = async (knex) => {',
      ...raw(upgradeStatements(i)),
      '};',
      '',
      'exports.down = async (knex) => {',
      ...raw(downgradeStatements(i)),
      '};',
      '',
    ].join('\n');
    fs.writeFileSync(
      path.join(migrations, `${String(i).padStart(4, '0')}_create_t_${i}.cjs`),
      text,
    );
  }
}

export const KNEX_CLIENTS = { sqlite: 'better-sqlite3', postgresql: 'pg', mysql: 'mysql2' };

/**
 * The limit: the same statements plus one version-row change per revision, as one script for the
 * database's own client. Per revision: BEGIN; statements; version row; COMMIT. Single: one
 * transaction around everything. The same SQL runs on all three databases.
 */
function writeLimit(files, size) {
  fs.mkdirSync(path.dirname(files.upgradePerRevision), { recursive: true });
  const createVersionTable = `CREATE TABLE ${LIMIT_VERSION_TABLE} (version_num varchar(32) NOT NULL PRIMARY KEY);`;
  const up = [];
  for (let i = 1; i <= size; i += 1) {
    const version =
      i === 1
        ? `INSERT INTO ${LIMIT_VERSION_TABLE} (version_num) VALUES ('${revisionId(i)}');`
        : `UPDATE ${LIMIT_VERSION_TABLE} SET version_num = '${revisionId(i)}' WHERE version_num = '${revisionId(i - 1)}';`;
    up.push([...upgradeStatements(i).map((sql) => `${sql};`), version]);
  }
  const down = [];
  for (let i = size; i >= 1; i -= 1) {
    const version =
      i === 1
        ? `DELETE FROM ${LIMIT_VERSION_TABLE} WHERE version_num = '${revisionId(i)}';`
        : `UPDATE ${LIMIT_VERSION_TABLE} SET version_num = '${revisionId(i - 1)}' WHERE version_num = '${revisionId(i)}';`;
    down.push([...downgradeStatements(i).map((sql) => `${sql};`), version]);
  }
  const perRevision = (steps) =>
    steps.map((lines) => ['BEGIN;', ...lines, 'COMMIT;'].join('\n')).join('\n');
  const single = (steps) => ['BEGIN;', ...steps.flat(), 'COMMIT;'].join('\n');
  fs.writeFileSync(files.upgradePerRevision, `${createVersionTable}\n${perRevision(up)}\n`);
  fs.writeFileSync(
    files.upgradeSingle,
    `BEGIN;\n${createVersionTable}\n${single(up).slice('BEGIN;\n'.length)}\n`,
  );
  fs.writeFileSync(files.downgradePerRevision, `${perRevision(down)}\n`);
  fs.writeFileSync(files.downgradeSingle, `${single(down)}\n`);
}
