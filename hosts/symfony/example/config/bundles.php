<?php

return [
    Symfony\Bundle\FrameworkBundle\FrameworkBundle::class => ['all' => true],
    Punchout\Bundle\PunchoutBundle::class => ['all' => true],
];
