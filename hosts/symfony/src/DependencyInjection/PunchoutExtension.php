<?php

declare(strict_types=1);

namespace Punchout\Bundle\DependencyInjection;

use Doctrine\DBAL\Connection;
use Punchout\Bundle\Command\CreateSchemaCommand;
use Punchout\Bundle\Command\PurgeCommand;
use Punchout\Bundle\Contract;
use Punchout\Bundle\Controller;
use Punchout\Bundle\Http\CxmlResponder;
use Punchout\Bundle\Http\Pages;
use Punchout\Bundle\PeppolSessions;
use Punchout\Bundle\Profile\ProfileRegistry;
use Punchout\Bundle\PunchoutContext;
use Punchout\Bundle\Routing\PunchoutRouteLoader;
use Punchout\Bundle\Storage\ConnectionFactory;
use Punchout\Bundle\Storage\PunchoutStore;
use Punchout\Engine;
use Psr\Log\NullLogger;
use Symfony\Component\DependencyInjection\ContainerBuilder;
use Symfony\Component\DependencyInjection\Definition;
use Symfony\Component\DependencyInjection\Extension\Extension;
use Symfony\Component\DependencyInjection\Reference;
use Symfony\Component\Translation\IdentityTranslator;

/**
 * Wires the bundle from the `punchout:` configuration. The shop's extension points are aliases
 * the shop points at its own services (`Punchout\Bundle\Contract\CartProvider: '@App\…'`);
 * the defaults say what is missing or do nothing.
 */
final class PunchoutExtension extends Extension
{
    public function load(array $configs, ContainerBuilder $container): void
    {
        $config = $this->processConfiguration(new Configuration(), $configs);

        $engineOptions = array_filter($config['engine'], static fn ($value) => $value !== null);
        $container->register(Engine::class, Engine::class)->setArguments([$engineOptions])->setPublic(true);

        if ($config['storage']['connection'] !== null) {
            $container->setAlias('punchout.connection', $config['storage']['connection']);
        } else {
            $container->register('punchout.connection', Connection::class)
                ->setFactory([ConnectionFactory::class, 'create'])
                ->setArguments([$config['storage']['url']]);
        }
        $container->register(PunchoutStore::class, PunchoutStore::class)
            ->setArguments([new Reference('punchout.connection'), $config['storage']['table_prefix'], $config['profiles']['table']])
            ->setPublic(true);

        $container->register('punchout.logger', NullLogger::class);
        $container->register('punchout.translator', IdentityTranslator::class);
        $logger = new Reference('punchout.logger');

        $container->register(ProfileRegistry::class, ProfileRegistry::class)
            ->setArguments([
                new Reference(Engine::class),
                $config['profiles']['directory'],
                array_values($config['profiles']['files']),
                $config['profiles']['table'] === null ? null : new Reference('punchout.connection'),
                $config['profiles']['table'],
                $config['secrets'],
                $logger,
            ])
            ->setPublic(true);

        $container->register(CxmlResponder::class, CxmlResponder::class)
            ->setArguments([new Reference(Engine::class), $config['payload_domain'], $config['cxml_error_http_status'] === 'mirror']);
        $container->register(Pages::class, Pages::class)->setArguments([new Reference('punchout.translator')]);
        $container->register(PunchoutContext::class, PunchoutContext::class)
            ->setArguments([new Reference('request_stack'), new Reference(PunchoutStore::class), $config['shopping_ttl']])
            ->setPublic(true);

        foreach ([
            Contract\BuyerCustomerResolver::class => Contract\Default\BuyerIdAsCustomer::class,
            Contract\CartProvider::class => Contract\Default\NoCartProvider::class,
            Contract\OrderPlacer::class => Contract\Default\RecordOnlyOrderPlacer::class,
        ] as $interface => $default) {
            $container->register($default, $default);
            $container->setAlias($interface, $default);
        }

        $events = new Reference('event_dispatcher');
        $container->register(Controller\SessionStarter::class, Controller\SessionStarter::class)
            ->setArguments([new Reference(Contract\BuyerCustomerResolver::class), new Reference(PunchoutContext::class), $events, $config['landing_path']]);
        $container->register(Controller\OrderReceiver::class, Controller\OrderReceiver::class)
            ->setArguments([new Reference(Engine::class), new Reference(PunchoutStore::class), new Reference(Contract\OrderPlacer::class), $events, $logger]);

        $container->register(PeppolSessions::class, PeppolSessions::class)
            ->setArguments([new Reference(ProfileRegistry::class), new Reference(PunchoutStore::class), new Reference(Controller\SessionStarter::class), $logger, $config['shopping_ttl']])
            ->setPublic(true);

        $controllers = [
            Controller\CxmlSetupController::class => [new Reference(Engine::class), new Reference(ProfileRegistry::class), new Reference(PunchoutStore::class), new Reference(CxmlResponder::class), new Reference('router'), $logger, $config['session_ttl']],
            Controller\OciCallUpController::class => [new Reference(Engine::class), new Reference(ProfileRegistry::class), new Reference(PunchoutStore::class), new Reference(Controller\SessionStarter::class), new Reference(Pages::class), $logger, $config['shopping_ttl']],
            Controller\StartController::class => [new Reference(PunchoutStore::class), new Reference(Controller\SessionStarter::class), new Reference(Pages::class), $logger],
            Controller\TransferController::class => [new Reference(Engine::class), new Reference(ProfileRegistry::class), new Reference(PunchoutStore::class), new Reference(PunchoutContext::class), new Reference(Contract\CartProvider::class), new Reference(CxmlResponder::class), new Reference(Pages::class), $events, $logger],
            Controller\CxmlOrderController::class => [new Reference(Engine::class), new Reference(ProfileRegistry::class), new Reference(Controller\OrderReceiver::class), new Reference(CxmlResponder::class), $logger],
            Controller\PeppolOrderController::class => [new Reference(Engine::class), new Reference(ProfileRegistry::class), new Reference(Controller\OrderReceiver::class), $logger],
        ];
        foreach ($controllers as $class => $arguments) {
            $container->setDefinition($class, (new Definition($class, $arguments))->setPublic(true)->addTag('controller.service_arguments'));
        }

        $container->register(PunchoutRouteLoader::class, PunchoutRouteLoader::class)
            ->setArguments([$config['routes']['prefix']])
            ->addTag('routing.loader');
        $container->register(CreateSchemaCommand::class, CreateSchemaCommand::class)
            ->setArguments([new Reference(PunchoutStore::class)])
            ->addTag('console.command', ['command' => 'punchout:schema:create']);
        $container->register(PurgeCommand::class, PurgeCommand::class)
            ->setArguments([new Reference(PunchoutStore::class), $config['shopping_ttl']])
            ->addTag('console.command', ['command' => 'punchout:purge']);
    }
}
