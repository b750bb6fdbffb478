<?php

declare(strict_types=1);

namespace Punchout\Bundle\DependencyInjection;

use Symfony\Component\DependencyInjection\Compiler\CompilerPassInterface;
use Symfony\Component\DependencyInjection\ContainerBuilder;

/**
 * Uses the shop's logger (Monolog's `punchout` channel when there is one) and translator when
 * the application has them; without them the bundle logs nothing and shows translation keys.
 */
final class LoggerAndTranslatorPass implements CompilerPassInterface
{
    public function process(ContainerBuilder $container): void
    {
        foreach (['monolog.logger.punchout', 'logger'] as $logger) {
            if ($container->has($logger)) {
                $container->setAlias('punchout.logger', $logger);
                break;
            }
        }
        if ($container->has('translator')) {
            $container->setAlias('punchout.translator', 'translator');
        }
    }
}
