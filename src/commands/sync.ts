// PLACEHOLDER: replaced by the module that implements `mifit-sync sync`.
export async function run(_args: string[], _env: NodeJS.ProcessEnv): Promise<number> {
  process.stderr.write('mifit-sync sync: not built yet\n');
  return 1;
}
