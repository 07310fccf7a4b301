// Which measurements, fields and tags an InfluxQL query of ours references, so a test can
// check them against MEASUREMENTS (docs/metrics.md is generated from the same schema).
// Convention in grafana/: every identifier is double-quoted; aliases follow AS.

/** Measurements after FROM, quoted identifiers used, and aliases defined in the query. */
export function references(query: string): { measurements: string[]; identifiers: string[]; aliases: string[] } {
  const measurements = [...query.matchAll(/FROM\s+"([^"]+)"/gi)].map((m) => m[1] as string);
  const aliases = [...query.matchAll(/AS\s+"([^"]+)"/gi)].map((m) => m[1] as string);
  // Quoted identifiers that are not a measurement name after FROM nor an alias definition.
  const stripped = query.replace(/FROM\s+"[^"]+"/gi, ' ').replace(/AS\s+"[^"]+"/gi, ' ');
  const identifiers = [...stripped.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
  return { measurements, identifiers, aliases };
}

/** Bare words inside aggregate calls (e.g. last(steps)) — forbidden so the check above sees every field. */
export function unquotedFieldArguments(query: string): string[] {
  return [...query.matchAll(/\b(?:last|first|mean|sum|min|max|count|stddev|median|spread|cumulative_sum|moving_average)\(\s*([A-Za-z_]\w*)/gi)]
    .map((m) => m[1] as string)
    .filter((w) => !/^(last|first|mean|sum|min|max|count|stddev|median)$/i.test(w));
}
