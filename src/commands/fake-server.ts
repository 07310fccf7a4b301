// PLACEHOLDER: replaced by the module that implements `mifit-sync fake-server`.
export async function run(_args: string[], _env: NodeJS.ProcessEnv): Promise<number> {
  process.stderr.write('mifit-sync fake-server: not built yet\n');
  return 1;
}
