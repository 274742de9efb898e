/**
 * The CPU backend against core's conformance suite: known values, gradient checks of every op,
 * errors, memory, a tiny network that trains, and graph pictures.
 */
import { describeBackendConformance } from '@lenet/core/testing';
import { CpuBackend } from '../src/index.js';

describeBackendConformance('cpu', () => new CpuBackend());
