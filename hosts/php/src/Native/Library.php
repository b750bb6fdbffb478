<?php

declare(strict_types=1);

namespace Punchout\Native;

use FFI;
use Punchout\Exception\LibraryException;

/**
 * The native host core (libpunchout_ffi) through PHP's FFI: bytes in, status and bytes out.
 *
 * Under PHP-FPM, preload.php declares the library once per master (`ffi.preload`), and this class
 * finds it with FFI::scope('PUNCHOUT'); in the CLI it loads the library with FFI::cdef().
 *
 * @internal use {@see \Punchout\Engine}
 */
final class Library
{
    public const SCOPE = 'PUNCHOUT';

    public const OK = 0;
    public const REJECTED = 1;
    public const TRAP = 2;
    public const HOST = 3;
    public const USAGE = 4;
    public const PANIC = 5;

    /** The C declarations PHP needs: the header without its preprocessor lines. */
    public const CDEF = <<<'C'
        typedef struct punchout_part { uint8_t *name; size_t name_len; uint8_t *data; size_t len; } punchout_part;
        typedef struct punchout_result { int32_t status; uint8_t *data; size_t len; punchout_part *parts; size_t part_count; } punchout_result;
        const char *punchout_version(void);
        punchout_result punchout_start(const char *config, size_t config_len);
        punchout_result punchout_call(const char *function, size_t function_len, const char *input, size_t input_len);
        punchout_result punchout_functions(void);
        punchout_result punchout_precompile(const char *wasm_path, size_t wasm_path_len, const char *cwasm_path, size_t cwasm_path_len);
        void punchout_free(punchout_result *result);
        C;

    private static ?self $instance = null;

    private function __construct(private readonly FFI $ffi)
    {
    }

    /** The process's library: the preloaded scope if there is one, else `$path`. */
    public static function get(?string $path = null): self
    {
        if (self::$instance !== null) {
            return self::$instance;
        }
        if (!extension_loaded('FFI')) {
            throw new LibraryException('the PHP FFI extension is not loaded (install a PHP with FFI and set ffi.enable)');
        }
        $ffi = null;
        try {
            $ffi = FFI::scope(self::SCOPE);
        } catch (\Throwable) {
            // not preloaded: load it below
        }
        if ($ffi === null) {
            $path ??= self::defaultPath();
            if (!is_file($path)) {
                throw new LibraryException("the native library `$path` does not exist (build it with `cargo build -p punchout-ffi`, or set PUNCHOUT_LIBRARY)");
            }
            try {
                $ffi = FFI::cdef(self::CDEF, $path);
            } catch (\FFI\Exception $error) {
                throw new LibraryException("cannot load the native library `$path`: {$error->getMessage()} (is ffi.enable on?)", 0, $error);
            }
        }
        return self::$instance = new self($ffi);
    }

    /**
     * `$PUNCHOUT_LIBRARY`, else the library the installed package carries for this platform
     * (`lib/linux-x86_64/libpunchout_ffi.so`), else the workspace's development build.
     */
    public static function defaultPath(): string
    {
        $path = getenv('PUNCHOUT_LIBRARY');
        if (is_string($path) && $path !== '') {
            return $path;
        }
        $packaged = self::packaged('libpunchout_ffi.so');
        return $packaged ?? \dirname(__DIR__, 4) . '/target/debug/libpunchout_ffi.so';
    }

    /** This platform's folder name in the package's `lib/`, such as `linux-x86_64`. */
    public static function platform(): string
    {
        return strtolower(PHP_OS_FAMILY) . '-' . php_uname('m');
    }

    /**
     * A file the installed package carries: `lib/PLATFORM/NAME` for the native library and the
     * precompiled component, `lib/NAME` for the component; null when the package has none.
     */
    public static function packaged(string $name): ?string
    {
        $lib = \dirname(__DIR__, 2) . '/lib';
        foreach (["$lib/" . self::platform() . "/$name", "$lib/$name"] as $path) {
            if (is_file($path)) {
                return $path;
            }
        }
        return null;
    }

    public function version(): string
    {
        return FFI::string($this->ffi->punchout_version());
    }

    /** @return array{0: int, 1: string, 2: array<string, string>} status, JSON body and parts */
    public function start(string $config): array
    {
        return $this->take($this->ffi->punchout_start($config, \strlen($config)));
    }

    /** @return array{0: int, 1: string, 2: array<string, string>} status, JSON body and parts */
    public function call(string $function, string $input): array
    {
        return $this->take($this->ffi->punchout_call($function, \strlen($function), $input, \strlen($input)));
    }

    /** @return array{0: int, 1: string, 2: array<string, string>} status, JSON body and parts */
    public function functions(): array
    {
        return $this->take($this->ffi->punchout_functions());
    }

    /** @return array{0: int, 1: string, 2: array<string, string>} status, JSON body and parts */
    public function precompile(string $wasm, string $cwasm): array
    {
        return $this->take($this->ffi->punchout_precompile($wasm, \strlen($wasm), $cwasm, \strlen($cwasm)));
    }

    /**
     * Copies the body and its parts into PHP strings and releases them.
     *
     * @return array{0: int, 1: string, 2: array<string, string>} status, JSON body, and the
     *     body's large text values (`name => text`), which are not in its JSON
     */
    private function take(FFI\CData $result): array
    {
        try {
            $parts = [];
            for ($i = 0; $i < $result->part_count; $i++) {
                $part = $result->parts[$i];
                $parts[FFI::string($part->name, $part->name_len)] = FFI::string($part->data, $part->len);
            }
            return [$result->status, FFI::string($result->data, $result->len), $parts];
        } finally {
            $this->ffi->punchout_free(FFI::addr($result));
        }
    }
}
