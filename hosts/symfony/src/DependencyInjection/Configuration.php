<?php

declare(strict_types=1);

namespace Punchout\Bundle\DependencyInjection;

use Symfony\Component\Config\Definition\Builder\TreeBuilder;
use Symfony\Component\Config\Definition\ConfigurationInterface;

/**
 * The `punchout:` configuration tree. Every value is checked when the container is built, so a
 * typo in the shop's configuration is a build error that names the key, never a runtime surprise.
 */
final class Configuration implements ConfigurationInterface
{
    public function getConfigTreeBuilder(): TreeBuilder
    {
        $tree = new TreeBuilder('punchout');
        $root = $tree->getRootNode();
        $root
            ->validate()
                ->ifTrue(static fn (array $config): bool => $config['profiles']['directory'] === null && $config['profiles']['table'] === null)
                ->thenInvalid('punchout.profiles needs a `directory` of JSON buyer profiles or a DBAL `table` of them (or both)')
            ->end()
            ->children()
                ->arrayNode('engine')
                    ->info('where the engine is; by default the punchout/engine package finds its packaged library and component ($PUNCHOUT_LIBRARY, $PUNCHOUT_COMPONENT and $PUNCHOUT_PRECOMPILED override it)')
                    ->addDefaultsIfNotSet()
                    ->children()
                        ->scalarNode('library')->defaultNull()->end()
                        ->scalarNode('component')->defaultNull()->end()
                        ->scalarNode('precompiled')->defaultNull()->end()
                        ->integerNode('memory_limit_bytes')->defaultNull()->min(1 << 20)->end()
                        ->integerNode('call_deadline_ms')->defaultNull()->min(1)->end()
                    ->end()
                ->end()
                ->arrayNode('profiles')
                    ->info('the buyer profiles: JSON files in a directory (a profile may `extends` a base in the same directory) and/or rows of a DBAL table')
                    ->addDefaultsIfNotSet()
                    ->children()
                        ->scalarNode('directory')->defaultNull()->end()
                        ->arrayNode('files')
                            ->info('the buyer files in the directory (default: every *.json file); a base that is only extended need not be listed')
                            ->scalarPrototype()->cannotBeEmpty()->end()
                        ->end()
                        ->scalarNode('table')
                            ->info('a table of complete profiles (`id`, `profile` JSON, `enabled`), created by punchout:schema:create; `extends` needs the directory')
                            ->defaultNull()
                        ->end()
                    ->end()
                ->end()
                ->arrayNode('secrets')
                    ->info("the profiles' secret references and their values, e.g. ACME_ARIBA_SHARED_SECRET: '%env(ACME_ARIBA_SHARED_SECRET)%' (Symfony secrets are read the same way)")
                    ->useAttributeAsKey('name')
                    ->normalizeKeys(false)
                    ->scalarPrototype()->end()
                ->end()
                ->arrayNode('storage')
                    ->addDefaultsIfNotSet()
                    ->children()
                        ->scalarNode('url')
                            ->info('a DBAL URL (sqlite:///path, postgresql://user:pass@host:5432/db, mysql://…); ignored when `connection` is set')
                            ->defaultValue('sqlite:///%kernel.project_dir%/var/punchout.sqlite')
                        ->end()
                        ->scalarNode('connection')
                            ->info("the service id of the shop's own DBAL connection, e.g. doctrine.dbal.default_connection")
                            ->defaultNull()
                        ->end()
                        ->scalarNode('table_prefix')
                            ->defaultValue('punchout_')
                            ->validate()
                                ->ifTrue(static fn ($prefix): bool => !\is_string($prefix) || preg_match('/^[a-z][a-z0-9_]{0,20}$/', $prefix) !== 1)
                                ->thenInvalid('expected a table prefix such as `punchout_` (lowercase letters, digits, underscores), found %s')
                            ->end()
                        ->end()
                    ->end()
                ->end()
                ->integerNode('session_ttl')
                    ->info('seconds between the setup request and the buyer opening the start URL (the start URL is single use)')
                    ->defaultValue(300)->min(10)
                ->end()
                ->integerNode('shopping_ttl')
                    ->info('seconds a started PunchOut session may shop before its cart is transferred')
                    ->defaultValue(8 * 3600)->min(60)
                ->end()
                ->scalarNode('landing_path')
                    ->info('where the buyer lands after the start URL or the OCI call-up (the catalog)')
                    ->defaultValue('/')
                ->end()
                ->scalarNode('payload_domain')
                    ->info('the domain of the payloadIDs of the documents the shop sends')
                    ->defaultValue('shop.example.com')
                ->end()
                ->enumNode('cxml_error_http_status')
                    ->info('`mirror`: a refused cXML request is answered with the HTTP status of its cXML Status (401, 403, 400, …); `ok`: always HTTP 200, for buyer systems that only read the body')
                    ->values(['mirror', 'ok'])
                    ->defaultValue('mirror')
                ->end()
                ->arrayNode('routes')
                    ->addDefaultsIfNotSet()
                    ->children()
                        ->scalarNode('prefix')
                            ->defaultValue('/punchout')
                            ->validate()
                                ->ifTrue(static fn ($prefix): bool => !\is_string($prefix) || preg_match('#^(/[A-Za-z0-9._-]+)*$#', $prefix) !== 1)
                                ->thenInvalid('expected a path prefix such as `/punchout`, found %s')
                            ->end()
                        ->end()
                    ->end()
                ->end()
            ->end();
        return $tree;
    }
}
