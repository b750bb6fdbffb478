<?php

declare(strict_types=1);

namespace Punchout\Bundle\Command;

use Punchout\Bundle\Storage\PunchoutStore;
use Symfony\Component\Console\Command\Command;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Input\InputOption;
use Symfony\Component\Console\Output\OutputInterface;

/**
 * `punchout:purge` — run it daily (cron, Symfony Scheduler): deletes expired and abandoned
 * sessions and returned carts older than `--keep-carts-days` (default 90: long enough for the
 * slowest approval). Received orders are kept.
 */
final class PurgeCommand extends Command
{
    public function __construct(private readonly PunchoutStore $store, private readonly int $shoppingTtl)
    {
        parent::__construct('punchout:purge');
    }

    protected function configure(): void
    {
        $this
            ->setDescription('Deletes expired PunchOut sessions and old returned carts')
            ->addOption('keep-carts-days', null, InputOption::VALUE_REQUIRED, 'days to keep returned carts for the orders that reconcile against them', '90');
    }

    protected function execute(InputInterface $input, OutputInterface $output): int
    {
        $days = (string) $input->getOption('keep-carts-days');
        if (preg_match('/^[1-9]\d{0,4}$/', $days) !== 1) {
            $output->writeln("<error>--keep-carts-days: expected a number of days such as `90`, found `$days`</error>");
            return 2;
        }
        $purged = $this->store->purge($this->shoppingTtl, (int) $days * 86400);
        $output->writeln(sprintf('Deleted %d sessions and %d returned carts.', $purged['sessions'], $purged['carts']));
        return 0;
    }
}
