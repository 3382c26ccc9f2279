// How a JavaScript field name becomes a PyTorch state-dict name.

/**
 * `inProjWeight` → `in_proj_weight`, `weightIhL0Reverse` → `weight_ih_l0_reverse`,
 * `linear1` → `linear1`; names already in snake_case are unchanged.
 * @example pytorchName('selfAttn') // 'self_attn'
 */
export function pytorchName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
