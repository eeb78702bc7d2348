import { start } from './start.js';
import './page.css';

void start();
