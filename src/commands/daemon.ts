// PLACEHOLDER: replaced by the module that implements `mifit-sync daemon`.
export async function run(_args: string[], _env: NodeJS.ProcessEnv): Promise<number> {
  process.stderr.write('mifit-sync daemon: not built yet\n');
  return 1;
}
