/* Microbenchmark of the logarithm that bounds entropy, KL, MI, PMI and
 * self-information: ib_log_f64 and ib_log_pos_f64 over an L1-resident block,
 * as a plain map (y = log x) and as the entropy term sum x log x, on the
 * x86-64-v3 path.
 *
 *   gcc -O3 -fno-math-errno -fno-trapping-math -ffp-contract=off \
 *       -fopenmp-simd -march=x86-64-v3 -Icsrc tools/microbench_log.c -o /tmp/mbl
 *   /tmp/mbl
 *
 * Figures for this machine are in docs/performance.md.
 */
#include <stdio.h>
#include <time.h>
#include "ib_vmath.h"
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+1e-9*t.tv_nsec;}
#define N 4096
__attribute__((noinline)) void vlog(const double *restrict x, double *restrict y, int n){
#pragma omp simd
 for(int i=0;i<n;i++) y[i]=ib_log_f64(x[i]);}
__attribute__((noinline)) void vlogpos(const double *restrict x, double *restrict y, int n){
#pragma omp simd
 for(int i=0;i<n;i++) y[i]=ib_log_pos_f64(x[i]);}
__attribute__((noinline)) double xlogx(const double *restrict x, int n){
 double s[8]={0};
 for(int i=0;i<n;i+=8){
#pragma omp simd
  for(int j=0;j<8;j++) s[j]+=x[i+j]*ib_log_pos_f64(x[i+j]);}
 return s[0]+s[1]+s[2]+s[3]+s[4]+s[5]+s[6]+s[7];}
/* a chain-free floor: 2 loads, 1 add per element */
__attribute__((noinline)) void vadd(const double *restrict x, double *restrict y, int n){
#pragma omp simd
 for(int i=0;i<n;i++) y[i]=x[i]+1.0;}
int main(void){ static double x[N],y[N]; double acc=0;
 for(int i=0;i<N;i++) x[i]=1e-3+(i%1000)*0.000999;
 double b[4]={1e9,1e9,1e9,1e9};
 for(int r=0;r<3000;r++){double t;
  t=now(); vlog(x,y,N); t=now()-t; if(t<b[0])b[0]=t;
  t=now(); vlogpos(x,y,N); t=now()-t; if(t<b[1])b[1]=t;
  t=now(); acc+=xlogx(x,N); t=now()-t; if(t<b[2])b[2]=t;
  t=now(); vadd(x,y,N); t=now()-t; if(t<b[3])b[3]=t;}
 printf("ib_log_f64 map      %.3f ns/elem\n", b[0]/N*1e9);
 printf("ib_log_pos_f64 map  %.3f ns/elem\n", b[1]/N*1e9);
 printf("sum x log x         %.3f ns/elem\n", b[2]/N*1e9);
 printf("y = x + 1 (floor)   %.3f ns/elem\n", b[3]/N*1e9);
 return (acc+y[5])>1e300;}
