import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import {
  settingDefinitions,
  settingNames,
  type FlagSettingName,
} from '../../src/config/setting-definitions.js';
import { settingOption, withConfigOptions } from '../../src/cli/setting-options.js';

const flagSettings = settingNames.filter(
  (name): name is FlagSettingName => settingDefinitions[name].flag !== undefined,
);

for (const name of flagSettings) {
  const definition = settingDefinitions[name];
  test(`${definition.flag}'s help names ${definition.variable} and its default, from the catalogue`, () => {
    const option = settingOption(name);
    assert.equal(option.long, definition.flag);
    assert.equal(option.attributeName(), name, 'the flag lands on the setting of the same name');
    assert.ok(option.description.startsWith(definition.description), option.description);
    assert.match(option.description, new RegExp(`\\(env ${definition.variable}[;)]`));
    if (definition.defaultText !== undefined) {
      assert.ok(option.description.endsWith(`; default: ${definition.defaultText})`));
    }
  });
}

test('an optional-value setting flag given alone takes its preset', async () => {
  const command = new Command().exitOverride();
  command.addOption(settingOption('s3ForcePathStyle')).action(() => undefined);
  await command.parseAsync(['--s3-force-path-style'], { from: 'user' });
  assert.deepEqual(command.opts(), { s3ForcePathStyle: 'true' });
});

test('the configuration options hand each flag to the setting of its name, as text', async () => {
  const command = withConfigOptions(new Command().exitOverride()).action(() => undefined);
  await command.parseAsync(['--log-level', 'warn', '--pool-size', '3', '--env-file', 'x.env'], {
    from: 'user',
  });
  assert.deepEqual(command.opts(), { logLevel: 'warn', poolSize: '3', envFile: 'x.env' });
});
