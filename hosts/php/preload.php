<?php

/*
 * PHP-FPM preload script (opcache.preload). It declares the native library once in the FPM
 * master, so that every worker finds it with FFI::scope('PUNCHOUT') while ffi.enable=preload
 * keeps FFI off for ordinary request code. The engine itself starts lazily in each worker, on the
 * first Engine (never before fork) and then lives for the worker's life.
 *
 *   opcache.preload=/path/to/vendor/punchout/engine/preload.php
 *   opcache.preload_user=www-data
 *   ffi.enable=preload
 *   ; the library path, if not the default:
 *   env[PUNCHOUT_LIBRARY]=/opt/punchout/libpunchout_ffi.so   (pool config; or use ffi.preload)
 */

declare(strict_types=1);

require_once __DIR__ . '/src/Native/Library.php';

$library = getenv('PUNCHOUT_LIBRARY') ?: __DIR__ . '/lib/libpunchout_ffi.so';
$header = "#define FFI_SCOPE \"" . Punchout\Native\Library::SCOPE . "\"\n"
    . "#define FFI_LIB \"" . $library . "\"\n"
    . Punchout\Native\Library::CDEF;
$file = sys_get_temp_dir() . '/punchout-ffi-' . md5($header) . '.h';
if (!is_file($file)) {
    file_put_contents($file, $header);
}
FFI::load($file);
