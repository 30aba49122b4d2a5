/* Microbenchmark of the logarithm that bounds entropy, KL, MI, PMI and
 * self-information: ib_log_f64 and ib_log_pos_f64 over an L1-resident block,
 * as a plain map (y = log x), as the entropy term sum x log x, and the KL
 * and MI terms by the exact log-ratio (ib_log_ratio_f64), on the x86-64-v3
 * path (or v4: compile with -march=x86-64-v4 -mprefer-vector-width=512).
 *
 *   gcc $(python build_config.py) \
 *       -march=x86-64-v3 -Icsrc tools/microbench/microbench_log.c -o /tmp/mbl
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
/* the KL term x log(x / y) by the exact log-ratio (the reductions' fast
 * path), and the MI term x log(x / (y z)) with the exact two-product y z */
__attribute__((noinline)) double klterm(const double *restrict x, const double *restrict y, int n){
 double s[8]={0};
 for(int i=0;i<n;i+=8){
#pragma omp simd
  for(int j=0;j<8;j++){ double a=x[i+j], b=y[i+j];
   s[j]+=a*ib_log_ratio_f64(a,b,0.0,a/b,0.0,0,0);}}
 return s[0]+s[1]+s[2]+s[3]+s[4]+s[5]+s[6]+s[7];}
__attribute__((noinline)) double miterm(const double *restrict x, const double *restrict y,
                                        const double *restrict z, int n){
 double s[8]={0};
 for(int i=0;i<n;i+=8){
#pragma omp simd
  for(int j=0;j<8;j++){ double a=x[i+j], w=y[i+j]*z[i+j];
   s[j]+=a*ib_log_ratio_f64(a,w,ib_two_prod_lo_fma_f64(y[i+j],z[i+j],w),a/w,0.0,1,0);}}
 return s[0]+s[1]+s[2]+s[3]+s[4]+s[5]+s[6]+s[7];}
/* a chain-free floor: 2 loads, 1 add per element */
__attribute__((noinline)) void vadd(const double *restrict x, double *restrict y, int n){
#pragma omp simd
 for(int i=0;i<n;i++) y[i]=x[i]+1.0;}
int main(void){ static double x[N],y[N],q[N],z[N]; double acc=0;
 for(int i=0;i<N;i++){ x[i]=1e-3+(i%1000)*0.000999; q[i]=1e-3+((i*7)%1000)*0.000999;
                       z[i]=0.5+(i%13)*0.03; }
 double b[6]={1e9,1e9,1e9,1e9,1e9,1e9};
 for(int r=0;r<3000;r++){double t;
  t=now(); vlog(x,y,N); t=now()-t; if(t<b[0])b[0]=t;
  t=now(); vlogpos(x,y,N); t=now()-t; if(t<b[1])b[1]=t;
  t=now(); acc+=xlogx(x,N); t=now()-t; if(t<b[2])b[2]=t;
  t=now(); vadd(x,y,N); t=now()-t; if(t<b[3])b[3]=t;
  t=now(); acc+=klterm(x,q,N); t=now()-t; if(t<b[4])b[4]=t;
  t=now(); acc+=miterm(x,q,z,N); t=now()-t; if(t<b[5])b[5]=t;}
 printf("ib_log_f64 map      %.3f ns/elem\n", b[0]/N*1e9);
 printf("ib_log_pos_f64 map  %.3f ns/elem\n", b[1]/N*1e9);
 printf("sum x log x         %.3f ns/elem\n", b[2]/N*1e9);
 printf("y = x + 1 (floor)   %.3f ns/elem\n", b[3]/N*1e9);
 printf("sum KL term         %.3f ns/elem\n", b[4]/N*1e9);
 printf("sum MI term         %.3f ns/elem\n", b[5]/N*1e9);
 return (acc+y[5])>1e300;}
