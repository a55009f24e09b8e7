// SPDX-License-Identifier: BSD-2-Clause
// oracle-mailauth.js - Node's mailauth (npm "mailauth", its RFC 9989
// DMARC module mailauth/lib/dmarc) as an independent DMARC oracle for the
// scenario table (tests/dmarc/oracle-mailauth.sh drives it).
//
// Usage: node oracle-mailauth.js NSD_PORT < rows
// Each input line is JSON: {"name", "from": [From field values],
// "spf": [domains whose SPF passed], "dkim": [d= of passing signatures]}.
// Each output line: NAME TAB RESULT TAB POLICY TAB DISPOSITION, where
// RESULT is mailauth's dmarc result ("nodmarc" when it declines to
// evaluate: no single Author Domain), POLICY the applied published policy
// when t=y is not set ("-" otherwise or when none applies), DISPOSITION
// the policy after t=y for a failing message, "none" for a passing one
// ("-" when no policy applies).
//
// DNS: the resolver callback answers from the same zone data dkimsa sees,
// served by nsd on 127.0.0.1:NSD_PORT (tests/dns/harness.sh); the names
// the harness makes fail are answered the way a validating resolver
// answers them: silent.test times out, refused.test is refused, and the
// tampered dmarcbog.test is bogus, which a validating resolver reports
// as SERVFAIL (RFC 4035 section 5.5).
'use strict';

const { Resolver } = require('node:dns').promises;
const readline = require('node:readline');
const { dmarc } = require('mailauth/lib/dmarc');
const addressparser = require('nodemailer/lib/addressparser');

const port = Number(process.argv[2]);
const dnsResolver = new Resolver({ timeout: 2000, tries: 1 });
dnsResolver.setServers([`127.0.0.1:${port}`]);

const failing = [
    [/(^|\.)silent\.test\.?$/i, 'ETIMEOUT'],
    [/(^|\.)refused\.test\.?$/i, 'EREFUSED'],
    [/(^|\.)dmarcbog\.test\.?$/i, 'ESERVFAIL']
];

const resolver = async (name, type) => {
    for (const [re, code] of failing) {
        if (re.test(name)) {
            const err = new Error(`${code} ${name}`);
            err.code = code;
            throw err;
        }
    }
    return dnsResolver.resolve(name, type);
};

// The addresses of the From fields, as mailauth's own DKIM step gives them.
const fromAddresses = fields => {
    const out = [];
    for (const value of fields) {
        const walk = list => {
            for (const entry of list) {
                if (entry.group) {
                    walk(entry.group);
                } else {
                    out.push(entry.address || '');
                }
            }
        };
        walk(addressparser(value));
    }
    return out;
};

const evaluate = async row => {
    const res = await dmarc({
        headerFrom: fromAddresses(row.from),
        fromFields: row.from.length,
        spfDomains: row.spf.map(domain => ({ domain })),
        dkimDomains: row.dkim.map(domain => ({ domain })),
        resolver
    });
    if (!res || !res.status) {
        return [row.name, 'nodmarc', '-', '-'];
    }
    const result = res.status.result;
    if (!res.policy) {
        return [row.name, result, '-', '-'];
    }
    // mailauth reports the policy the record asks for failing mail even
    // when the message passes (its policy.dmarc); what is applied to a
    // passing message is nothing, which the scenario table writes "none"
    return [row.name, result, res.testMode ? '-' : res.policy, result === 'pass' ? 'none' : res.policy];
};

const main = async () => {
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
        if (!line.trim()) {
            continue;
        }
        const row = JSON.parse(line);
        let out;
        try {
            out = await evaluate(row);
        } catch (err) {
            out = [row.name, `error:${err.code || err.message}`, '-', '-'];
        }
        process.stdout.write(out.join('\t') + '\n');
    }
};

main().catch(err => {
    process.stderr.write(`oracle-mailauth: ${err.stack || err}\n`);
    process.exit(1);
});
