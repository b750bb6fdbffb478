<?php

declare(strict_types=1);

namespace Punchout\Bundle\Storage;

use Doctrine\DBAL\Connection;
use Doctrine\DBAL\DriverManager;
use Doctrine\DBAL\Tools\DsnParser;

/** The bundle's own DBAL connection from a URL, for shops without a Doctrine connection to share. */
final class ConnectionFactory
{
    public static function create(#[\SensitiveParameter] string $url): Connection
    {
        $params = (new DsnParser([
            'sqlite' => 'pdo_sqlite',
            'sqlite3' => 'pdo_sqlite',
            'postgresql' => 'pdo_pgsql',
            'postgres' => 'pdo_pgsql',
            'pgsql' => 'pdo_pgsql',
            'mysql' => 'pdo_mysql',
            'mariadb' => 'pdo_mysql',
        ]))->parse($url);
        if (($params['driver'] ?? null) === 'pdo_sqlite' && isset($params['path']) && !isset($params['memory'])) {
            $dir = \dirname($params['path']);
            if (!is_dir($dir) && !@mkdir($dir, 0770, true) && !is_dir($dir)) {
                throw new \RuntimeException("cannot create the directory of the PunchOut SQLite database `$dir`");
            }
        }
        return DriverManager::getConnection($params);
    }
}
