<?php

declare(strict_types=1);

namespace Punchout\Bundle;

use Punchout\Bundle\DependencyInjection\LoggerAndTranslatorPass;
use Symfony\Component\DependencyInjection\ContainerBuilder;
use Symfony\Component\HttpKernel\Bundle\Bundle;

/**
 * PunchOut for a Symfony shop: the cXML, OCI and Peppol endpoints, the sessions, returned carts and
 * purchase orders in the shop's database (Doctrine DBAL), and the events and extension points the
 * shop uses to take part, all built on the `punchout/engine` package. Configured under `punchout:`
 * ({@see DependencyInjection\Configuration}).
 */
final class PunchoutBundle extends Bundle
{
    public function build(ContainerBuilder $container): void
    {
        parent::build($container);
        $container->addCompilerPass(new LoggerAndTranslatorPass());
    }
}
