using BenchmarkDotNet.Running;
using Vdm.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(RequestConversionBenchmarks).Assembly).Run(args);
