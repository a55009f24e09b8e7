#!/usr/bin/env node
// SPDX-License-Identifier: BSD-2-Clause
// arc-oracle.js - an independent ARC implementation (Node's mailauth, its
// lib/arc and lib/dkim/verify modules) for dkimsa's tests: it verifies
// the chains dkimsa seals and seals chains for dkimsa to verify.
//
//   node arc-oracle.js verify KEYS < MSG
//       prints one line: "arc=pass i=N", "arc=none" or
//       "arc=fail i=N (reason)"
//   node arc-oracle.js seal KEYS KEYFILE DOMAIN SELECTOR ALG AUTHSERV T < MSG
//       validates the chain MSG carries, then prints MSG with one more
//       ARC set on top (AS, AMS, AAR), cv= from that validation; ALG is
//       rsa-sha256 or ed25519-sha256, T the t= (Unix time); the AAR holds
//       "AUTHSERV; arc=RESULT"
//
// KEYS is a file of "NAME TXT" lines (NAME as selector._domainkey.domain,
// TXT the record text): the resolver mailauth is given answers from it
// alone, so no lookup leaves the test.  Errors go to stderr, exit 2.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const modules = process.env.MAILAUTH_DIR || path.join(__dirname, 'node_modules', 'mailauth');
const { dkimVerify } = require(path.join(modules, 'lib', 'dkim', 'verify'));
const { arc, createSeal } = require(path.join(modules, 'lib', 'arc'));

function loadKeys(file) {
    const keys = new Map();
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const m = line.match(/^(\S+)\s+(.+)$/);
        if (m) {
            keys.set(m[1].toLowerCase().replace(/\.$/, ''), m[2]);
        }
    }
    return keys;
}

// The resolver callback mailauth calls for every key (dns.resolve's shape:
// TXT answers are arrays of strings).
function resolverFor(keys) {
    return async (name, type) => {
        const txt = keys.get(String(name).toLowerCase().replace(/\.$/, ''));
        if (type !== 'TXT' || txt === undefined) {
            const err = new Error(`no ${type} record for ${name}`);
            err.code = 'ENOTFOUND';
            throw err;
        }
        return [[txt]];
    };
}

async function check(message, resolver, seal) {
    const dkim = await dkimVerify(message, { resolver, seal, minBitLength: 1024 });
    const res = await arc(dkim.arc || { chain: false }, { resolver, minBitLength: 1024 });
    return { dkim, res };
}

function describe(res) {
    const r = res.status.result;
    if (r === 'none') {
        return 'arc=none';
    }
    const why = r === 'fail' && res.status.comment ? ` (${res.status.comment})` : '';
    return `arc=${r} i=${res.i}${why}`;
}

async function main(argv) {
    const message = fs.readFileSync(0);
    const cmd = argv[0];
    if (cmd === 'verify' && argv.length === 2) {
        const { res } = await check(message, resolverFor(loadKeys(argv[1])));
        process.stdout.write(describe(res) + '\n');
        return;
    }
    if (cmd !== 'seal' || argv.length !== 8) {
        throw new Error('usage: verify KEYS | seal KEYS KEYFILE DOMAIN SELECTOR ALG AUTHSERV T');
    }
    const [, keysFile, keyFile, domain, selector, algorithm, authserv, t] = argv;
    const resolver = resolverFor(loadKeys(keysFile));
    const sealOpts = {
        signingDomain: domain,
        selector,
        algorithm,
        privateKey: fs.readFileSync(keyFile)
    };
    const { dkim, res } = await check(message, resolver, sealOpts);
    const result = res.status.result;
    if (result === 'fail' && !res.status.shouldSeal) {
        throw new Error('the chain ends in cv=fail: not sealed');
    }
    const seal = Object.assign({}, dkim.seal, {
        i: (res.i || 0) + 1,
        cv: result,
        authResults: `${authserv}; arc=${result}`,
        signTime: new Date(Number(t) * 1000)
    });
    const out = await createSeal(false, { headers: dkim.headers, arc: dkim.arc, seal });
    process.stdout.write(out.headers.join('\r\n') + '\r\n');
    process.stdout.write(message);
}

main(process.argv.slice(2)).catch(err => {
    process.stderr.write(`arc-oracle: ${err.message}\n`);
    process.exit(2);
});
