<?php

declare(strict_types=1);

namespace App;

use Symfony\Bundle\FrameworkBundle\Kernel\MicroKernelTrait;
use Symfony\Component\HttpKernel\Kernel as BaseKernel;

/** The example shop: FrameworkBundle and the PunchOut bundle, configured in config/. */
final class Kernel extends BaseKernel
{
    use MicroKernelTrait;

    public function getProjectDir(): string
    {
        return \dirname(__DIR__);
    }

    /** $APP_VAR_DIR moves the cache and logs (the tests use a scratch directory). */
    public function getCacheDir(): string
    {
        return $this->varDir() . '/cache/' . $this->environment;
    }

    public function getLogDir(): string
    {
        return $this->varDir() . '/log';
    }

    private function varDir(): string
    {
        $dir = $_SERVER['APP_VAR_DIR'] ?? getenv('APP_VAR_DIR');
        return \is_string($dir) && $dir !== '' ? $dir : $this->getProjectDir() . '/var';
    }
}
