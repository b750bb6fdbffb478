<?php

declare(strict_types=1);

namespace Punchout\Bundle\Command;

use Punchout\Bundle\Storage\PunchoutStore;
use Symfony\Component\Console\Command\Command;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * `punchout:schema:create` — creates the bundle's tables that are missing (sessions, returned
 * carts and their line refs, received orders, and the profile table when one is configured);
 * `--dump-sql` prints the SQL for a migration instead. Shops with Doctrine Migrations can take
 * the same {@see PunchoutStore::schema()}.
 */
final class CreateSchemaCommand extends Command
{
    public function __construct(private readonly PunchoutStore $store)
    {
        parent::__construct('punchout:schema:create');
    }

    protected function configure(): void
    {
        $this
            ->setDescription('Creates the PunchOut tables that are missing')
            ->addOption('dump-sql', null, InputOption::VALUE_NONE, 'print the SQL instead of running it');
    }

    protected function execute(InputInterface $input, OutputInterface $output): int
    {
        if ($input->getOption('dump-sql')) {
            foreach ($this->store->missingSchemaSql() as $statement) {
                $output->writeln($statement . ';');
            }
            return 0;
        }
        $statements = $this->store->createSchema();
        $output->writeln($statements === [] ? 'The PunchOut tables are there.' : sprintf('Created the PunchOut tables (%d statements).', \count($statements)));
        return 0;
    }
}
