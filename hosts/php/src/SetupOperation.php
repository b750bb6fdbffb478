<?php

declare(strict_types=1);

namespace Punchout;

/** What a setup request asked for (WIT `setup-operation`). */
enum SetupOperation: string
{
    case Create = 'create';
    case Edit = 'edit';
    case Inspect = 'inspect';
}
