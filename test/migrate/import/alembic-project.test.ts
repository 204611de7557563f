import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  listPythonFiles,
  locateAlembicVersions,
  readIniSection,
} from '../../../src/migrate/import/alembic/alembic-project.js';
import { isDataRegistryError } from '../../../src/shared/errors.js';
import { tempDirsForThisFile } from '../../support/revision-folder.js';

const tempDir = tempDirsForThisFile('dr-alembic-ini-');

function project(ini: string, folders: readonly string[] = ['migrations/versions']): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'alembic.ini'), ini);
  for (const folder of folders) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, 'a.py'), 'revision = "a"\n');
  }
  return dir;
}

describe('where import-alembic finds an Alembic project’s revisions', () => {
  test('script_location/versions by default, relative to alembic.ini, %(here)s expanded', () => {
    const relative = project('[alembic]\nscript_location = migrations\n');
    assert.deepEqual(locateAlembicVersions(relative).versionDirs, [
      join(relative, 'migrations/versions'),
    ]);
    const here = project('[alembic]\nscript_location = %(here)s/migrations\n');
    assert.deepEqual(locateAlembicVersions(join(here, 'alembic.ini')).versionDirs, [
      join(here, 'migrations/versions'),
    ]);
  });

  test('version_locations split by version_path_separator, or by spaces and commas without one', () => {
    const withOs = project(
      '[alembic]\nscript_location = m\nversion_path_separator = os\nversion_locations = %(here)s/a:%(here)s/b\n',
      ['a', 'b'],
    );
    assert.deepEqual(locateAlembicVersions(withOs).versionDirs, [
      join(withOs, 'a'),
      join(withOs, 'b'),
    ]);
    const legacy = project('[alembic]\nscript_location = m\nversion_locations = a, b c\n', [
      'a',
      'b',
      'c',
    ]);
    assert.deepEqual(
      locateAlembicVersions(legacy).versionDirs,
      ['a', 'b', 'c'].map((d) => join(legacy, d)),
    );
    const newline = project(
      '[alembic]\nscript_location = m\nversion_path_separator = newline\nversion_locations =\n    a dir\n    b\n',
      ['a dir', 'b'],
    );
    assert.deepEqual(locateAlembicVersions(newline).versionDirs, [
      join(newline, 'a dir'),
      join(newline, 'b'),
    ]);
  });

  test('a versions folder given directly; recursive_version_locations reads subfolders; __init__.py is no revision', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.py'), '');
    writeFileSync(join(dir, '__init__.py'), '');
    writeFileSync(join(dir, 'sub', 'b.py'), '');
    assert.deepEqual(locateAlembicVersions(dir), {
      iniFile: undefined,
      versionDirs: [dir],
      isRecursive: false,
    });
    assert.deepEqual(listPythonFiles(dir, false), [join(dir, 'a.py')]);
    assert.deepEqual(listPythonFiles(dir, true), [join(dir, 'a.py'), join(dir, 'sub', 'b.py')]);
  });

  test('no script_location, a package:resource location, or a folder with nothing in it is bad usage', () => {
    const cases = [
      [project('[alembic]\nsqlalchemy.url = x\n'), /has no script_location/],
      [
        project('[alembic]\nscript_location = myapp:migrations\n'),
        /names a Python package resource/,
      ],
      [tempDir(), /holds neither alembic\.ini nor revision files/],
      [join(tempDir(), 'missing'), /does not exist/],
    ] as const;
    for (const [source, message] of cases) {
      assert.throws(
        () => locateAlembicVersions(source),
        (error: unknown) =>
          isDataRegistryError(error) &&
          error.code === 'INVALID_ARGUMENT' &&
          message.test(error.message),
      );
    }
  });

  test('the ini reader keeps one section, skips comments, joins continuation lines', () => {
    const values = readIniSection(
      '[other]\nscript_location = no\n[alembic]\n# a comment\nScript_Location: yes\nversion_locations =\n  a\n  b\n',
      'alembic',
    );
    assert.equal(values.get('script_location'), 'yes');
    assert.equal(values.get('version_locations'), '\na\nb');
  });
});
