<?php

declare(strict_types=1);

namespace Punchout\Bundle\Profile;

use Doctrine\DBAL\Connection;
use Doctrine\DBAL\ParameterType;
use Punchout\BuyerProfile;
use Punchout\Engine;
use Punchout\Exception\RejectedException;
use Psr\Log\LoggerInterface;
use Psr\Log\NullLogger;

/**
 * The shop's buyer profiles, compiled into the engine on first use in the process: JSON files
 * in a directory (compiled from their file, so a profile may `extends` a base beside it) and
 * rows of a DBAL table. A profile that does not compile is logged with its file, JSON pointer
 * and line, and left out: the other buyers keep working.
 *
 * Secrets are resolved by Symfony (`%env()%`, the secrets vault) and handed to the engine with
 * each profile; they are never logged.
 */
final class ProfileRegistry
{
    /** @var array<string, BuyerProfile>|null */
    private ?array $profiles = null;

    /** @var array<string, BuyerProfile> compiled one by one, by id */
    private array $single = [];

    /**
     * @param list<string> $files file names in `$directory`; empty: every `*.json` there
     * @param array<string, string> $secrets reference name => value
     */
    public function __construct(
        private readonly Engine $engine,
        private readonly ?string $directory,
        private readonly array $files,
        private readonly ?Connection $connection,
        private readonly ?string $table,
        #[\SensitiveParameter] private readonly array $secrets,
        private readonly LoggerInterface $logger = new NullLogger(),
    ) {
    }

    /** @return array<string, BuyerProfile> by id */
    public function all(): array
    {
        return $this->profiles ??= $this->compile();
    }

    /**
     * One buyer's profile. A request that concerns one buyer (an OCI call-up, a transfer)
     * compiles only that profile when it is found by its id: the file `ID.json` or the table
     * row `ID`; otherwise all of them are compiled.
     */
    public function get(string $id): ?BuyerProfile
    {
        if ($this->profiles !== null) {
            return $this->profiles[$id] ?? null;
        }
        if (isset($this->single[$id])) {
            return $this->single[$id];
        }
        $profile = $this->compileOne($id);
        if ($profile !== null) {
            return $this->single[$id] = $profile;
        }
        return $this->all()[$id] ?? null;
    }

    /**
     * The profiles whose buyers speak this protocol (`cxml`, `oci`, `peppol`).
     *
     * @return list<BuyerProfile>
     */
    public function speaking(string $protocol): array
    {
        return array_values(array_filter($this->all(), static fn (BuyerProfile $profile) => $profile->protocol === $protocol));
    }

    /** Compiles again on next use (after a profile or a secret changed). */
    public function reset(): void
    {
        $this->profiles = null;
        $this->single = [];
    }

    /** The profile of `$id` compiled alone, when its file or row is named by the id. */
    private function compileOne(string $id): ?BuyerProfile
    {
        if (preg_match('/^[A-Za-z0-9._-]+$/', $id) !== 1 || str_contains($id, '..')) {
            return null;
        }
        try {
            if ($this->directory !== null) {
                $path = $this->directory . '/' . $id . '.json';
                if (($this->files === [] || \in_array($id . '.json', $this->files, true)) && is_file($path)) {
                    $profile = $this->engine->compileProfileFile($path, $this->secrets);
                    return $profile->id === $id ? $profile : null;
                }
            }
            if ($this->connection !== null && $this->table !== null) {
                $row = $this->connection->fetchAssociative("SELECT profile FROM {$this->table} WHERE id = ? AND enabled = ?", [$id, true], [ParameterType::STRING, ParameterType::BOOLEAN]);
                if ($row !== false) {
                    $profile = $this->engine->compileProfile((string) $row['profile'], $this->secrets);
                    return $profile->id === $id ? $profile : null;
                }
            }
        } catch (RejectedException) {
            // Compiled with all the others, which logs it and leaves it out.
            return null;
        }
        return null;
    }

    /** @return array<string, BuyerProfile> */
    private function compile(): array
    {
        $profiles = [];
        foreach ($this->profileFiles() as $path) {
            try {
                $profile = $this->engine->compileProfileFile($path, $this->secrets);
            } catch (RejectedException $error) {
                $this->logger->error('punchout: buyer profile {file} left out: {error}', ['file' => $path, 'error' => $error->getMessage()]);
                continue;
            }
            $profiles[$profile->id] = $this->unique($profiles, $profile, $path);
        }
        if ($this->connection !== null && $this->table !== null) {
            $rows = $this->connection->fetchAllAssociative("SELECT id, profile FROM {$this->table} WHERE enabled = ? ORDER BY id", [true], [ParameterType::BOOLEAN]);
            foreach ($rows as $row) {
                $source = "{$this->table}#{$row['id']}";
                try {
                    $profile = $this->engine->compileProfile((string) $row['profile'], $this->secrets);
                } catch (RejectedException $error) {
                    $this->logger->error('punchout: buyer profile {file} left out: {error}', ['file' => $source, 'error' => $error->getMessage()]);
                    continue;
                }
                if ($profile->id !== (string) $row['id']) {
                    $this->logger->error('punchout: buyer profile {file} left out: its row id is not the profile\'s id `{id}`', ['file' => $source, 'id' => $profile->id]);
                    continue;
                }
                $profiles[$profile->id] = $this->unique($profiles, $profile, $source);
            }
        }
        return $profiles;
    }

    /** @param array<string, BuyerProfile> $profiles */
    private function unique(array $profiles, BuyerProfile $profile, string $source): BuyerProfile
    {
        if (isset($profiles[$profile->id])) {
            throw new \LogicException("buyer profile `{$profile->id}` is defined twice (again in `$source`): each buyer needs its own id");
        }
        return $profile;
    }

    /** @return list<string> */
    private function profileFiles(): array
    {
        if ($this->directory === null) {
            return [];
        }
        if (!is_dir($this->directory)) {
            throw new \LogicException("punchout.profiles.directory `{$this->directory}` is not a directory");
        }
        if ($this->files === []) {
            $found = glob($this->directory . '/*.json') ?: [];
            sort($found);
            return $found;
        }
        $paths = [];
        foreach ($this->files as $file) {
            $path = $this->directory . '/' . $file;
            if (str_contains($file, '..') || !is_file($path)) {
                throw new \LogicException("punchout.profiles.files: `$file` is not a file in `{$this->directory}`");
            }
            $paths[] = $path;
        }
        return $paths;
    }
}
