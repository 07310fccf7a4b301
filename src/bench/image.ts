// The image's runtime settings (Dockerfile ENV), for the benches that measure "the image's
// configuration": V8's heap caps and glibc's arena count. test/unit/bench-image.test.ts keeps
// them equal to the Dockerfile.

/** NODE_OPTIONS of the image. */
export const IMAGE_V8_FLAGS = '--max-old-space-size=160 --max-semi-space-size=8';
/** The same, as arguments of a node command line. */
export const IMAGE_V8_ARGS: readonly string[] = IMAGE_V8_FLAGS.split(' ');
/** Allocator settings of the image. */
export const IMAGE_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
