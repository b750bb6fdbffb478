<?php

declare(strict_types=1);

namespace Punchout\Bundle\Routing;

use Punchout\Bundle\Controller;
use Symfony\Component\Config\Loader\Loader;
use Symfony\Component\Routing\Route;
use Symfony\Component\Routing\RouteCollection;

/**
 * The bundle's routes under `punchout.routes.prefix`; the shop imports them with
 * `punchout: { resource: ., type: punchout }` in its routing configuration.
 */
final class PunchoutRouteLoader extends Loader
{
    public function __construct(private readonly string $prefix)
    {
        parent::__construct();
    }

    /** @param mixed $resource */
    public function load($resource, ?string $type = null): RouteCollection
    {
        $routes = new RouteCollection();
        $add = function (string $name, string $path, array $methods, string $controller, array $requirements = []) use ($routes): void {
            $routes->add($name, new Route($this->prefix . $path, ['_controller' => $controller], $requirements, [], '', [], $methods));
        };
        $add('punchout_cxml_setup', '/cxml/setup', ['POST'], Controller\CxmlSetupController::class);
        $add('punchout_oci_call_up', '/oci/{buyer}', ['GET', 'POST'], Controller\OciCallUpController::class, ['buyer' => '[A-Za-z0-9._-]+']);
        $add('punchout_start', '/start/{token}', ['GET'], Controller\StartController::class, ['token' => '[A-Za-z0-9_-]{16,128}']);
        $add('punchout_transfer', '/transfer', ['POST'], Controller\TransferController::class);
        $add('punchout_cxml_order', '/cxml/order', ['POST'], Controller\CxmlOrderController::class);
        $add('punchout_peppol_order', '/peppol/order', ['POST'], Controller\PeppolOrderController::class);
        return $routes;
    }

    /** @param mixed $resource */
    public function supports($resource, ?string $type = null): bool
    {
        return $type === 'punchout';
    }
}
