<?php

declare(strict_types=1);

namespace Punchout;

/** Where the engine found an error (WIT `location`); every part is optional. */
final readonly class Location implements \JsonSerializable
{
    public function __construct(
        /** 1-based line in the document. */
        public ?int $line = null,
        /** 1-based column (bytes) in the line. */
        public ?int $column = null,
        /** Element path such as `/cXML/Request/PunchOutSetupRequest/BrowserFormPost/URL`. */
        public ?string $path = null,
        /** A form or call-up field such as `HOOK_URL`. */
        public ?string $field = null,
        /** A JSON pointer into a profile, cart or session such as `/lines/3/quantity`. */
        public ?string $pointer = null,
    ) {
    }

    public static function fromArray(array $data): self
    {
        return new self($data['line'] ?? null, $data['column'] ?? null, $data['path'] ?? null, $data['field'] ?? null, $data['pointer'] ?? null);
    }

    public function isEmpty(): bool
    {
        return $this->line === null && $this->column === null && $this->path === null && $this->field === null && $this->pointer === null;
    }

    /** As the engine writes it: `/cXML/Header, JSON pointer `/lines/0`, line 3, column 5`. */
    public function __toString(): string
    {
        $parts = [];
        if ($this->path !== null) {
            $parts[] = $this->path;
        }
        if ($this->pointer !== null) {
            $parts[] = "JSON pointer `{$this->pointer}`";
        }
        if ($this->field !== null) {
            $parts[] = "field `{$this->field}`";
        }
        if ($this->line !== null && $this->column !== null) {
            $parts[] = "line {$this->line}, column {$this->column}";
        }
        return implode(', ', $parts);
    }

    public function jsonSerialize(): array
    {
        return array_filter(
            ['line' => $this->line, 'column' => $this->column, 'path' => $this->path, 'field' => $this->field, 'pointer' => $this->pointer],
            static fn ($value) => $value !== null,
        );
    }
}
